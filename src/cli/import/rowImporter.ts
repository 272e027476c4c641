import type { CatalogClient, RemoteProduct } from './catalogClient.ts';
import { RemoteError } from './catalogClient.ts';
import type { ImportRow } from './importRows.ts';
import type { HashCache } from './hashCache.ts';
import { identifySource, readSourceImage, type ImageSourceOptions } from './imageSource.ts';

/** What became of a row: a new image, or one the product already held (same content). */
export type RowOutcome = 'created' | 'skipped';

/** Characters of the content hash kept in the gallery file name (160 bits). */
const STEM_LENGTH = 40;

/**
 * The gallery file name stem of a content: its hash. The service disperses it (`/a/b/ab….jpg`) and
 * keeps names unique among a product's live images, so "the product holds this content" is "one
 * of its files starts with this stem", which holds across runs, machines and instances.
 */
export function contentStem(sha256: string): string {
  return sha256.slice(0, STEM_LENGTH);
}

/** Whether a ShipStream gallery file name (`/a/b/<stem>.jpg`, or `<stem>_1.jpg` after a race) carries `stem`. */
export function fileHoldsStem(file: string, stem: string): boolean {
  return (file.split('/').pop() ?? '').startsWith(stem);
}

/**
 * Imports rows one at a time per call, any number of calls at once: each product is looked up (and
 * created) once, its gallery listed once, and the same content for the same product in one run
 * is uploaded once.
 */
export function rowImporter(deps: {
  client: CatalogClient;
  source: ImageSourceOptions;
  hashes: HashCache;
  /** The name of each product to create, whichever of its rows gets there first (rows run concurrently). */
  productNames?: ReadonlyMap<string, string>;
}) {
  const { client } = deps;
  const products = new Map<string, Promise<RemoteProduct>>();
  const galleries = new Map<string, Promise<Set<string>>>();
  const uploads = new Map<string, Promise<RowOutcome>>();

  const once = <T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> => {
    let promise = map.get(key);
    if (promise === undefined) {
      promise = make();
      map.set(key, promise);
      // A failure is that row's; the next row of the product tries again.
      promise.catch(() => map.delete(key));
    }
    return promise;
  };

  const product = (row: ImportRow) =>
    once(products, row.sku, async () => {
      const found = await client.findProduct(row.sku);
      if (found) return found;
      const created = (await client.createProduct(row.sku, deps.productNames?.get(row.sku) ?? row.name)) ?? (await client.findProduct(row.sku));
      if (!created) throw new RemoteError(`Product ${row.sku} could not be created.`);
      return created;
    });

  const heldStems = (sku: string) =>
    once(galleries, sku, async () => new Set((await client.listImages(sku)).map((image) => image.file.split('/').pop() ?? '')));

  return async function importRow(row: ImportRow): Promise<RowOutcome> {
    const image = await identifySource(row.image, deps.source, deps.hashes);
    const stem = contentStem(image.sha256);
    const key = `${row.sku}\n${stem}`;
    // The same content for the same product earlier in this run: that row adds it.
    const earlier = uploads.get(key);
    if (earlier !== undefined) return earlier.then(() => 'skipped');
    return once(uploads, key, async () => {
      const remote = await product(row);
      if (!remote.media_enabled) throw new RemoteError(`Product ${row.sku} does not take media (media_enabled is false).`);
      const held = await heldStems(row.sku);
      if ([...held].some((file) => fileHoldsStem(file, stem))) return 'skipped';
      // Known by its hash only (unchanged since the last run), yet not in the product: read it now.
      const content = image.content ?? (await readSourceImage(row.image, deps.source)).content;
      const file = await client.createImage(remote, {
        content,
        mime: image.mime,
        name: stem,
        types: row.types,
        ...(row.label === undefined ? {} : { label: row.label }),
        ...(row.exclude === undefined ? {} : { exclude: row.exclude }),
        ...(row.order === undefined ? {} : { position: row.order }),
      });
      held.add(file.split('/').pop() ?? file);
      return 'created';
    });
  };
}
