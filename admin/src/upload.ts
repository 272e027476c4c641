import { messageOf } from './api.ts';

/**
 * Uploads one image with XMLHttpRequest (fetch reports no upload progress): multipart `image`
 * `product` and `order`, as the REST API takes it. Resolves with the new image's pk; rejects with the
 * API's message.
 */
export function uploadImage(options: { key: string; productPk: number; file: File; order: number; onProgress: (fraction: number) => void }): Promise<number> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('product', String(options.productPk));
    form.append('order', String(options.order));
    form.append('image', options.file, options.file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/product_image/');
    request.setRequestHeader('Authorization', `Token ${options.key}`);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => event.lengthComputable && options.onProgress(event.loaded / event.total);
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status === 201) {
        options.onProgress(1);
        resolve((body as { pk: number }).pk);
      } else {
        reject(new Error(messageOf(request.status, body)));
      }
    };
    request.onerror = () => reject(new Error('The service cannot be reached.'));
    request.send(form);
  });
}
