import type { RequestContext } from '../../app/commandHandler.ts';
import type { GalleryFileNames } from '../../app/galleryFiles/galleryFileNames.ts';
import { dispersed } from '../../app/media/mediaKeys.ts';
import type { NewImageInput } from '../../app/media/imageCommands.ts';
import { requestedFileName } from '../../app/rpc/requestedFileName.ts';
import { MAX_LABEL_LENGTH } from '../../domain/fieldRules.ts';
import { IMAGE_ROLES, type ImageRole } from '../../domain/gallery/galleryVocabulary.ts';
import { booleanField, charField, FieldIssue, MESSAGES, type Field } from '../drf/serializerFields.ts';

/** Longest `file_name` taken (ShipStream keeps 100 characters of a client's name). */
const MAX_FILE_NAME_LENGTH = 100;

/**
 * ShipStream role codes as one form value (`image,thumbnail`; commas or spaces between). Codes
 * the catalog does not know are ignored, as `product_media.create` ignores them; each role once,
 * in the catalog's order.
 */
function roleCodesField(): Field<ImageRole[]> {
  return {
    required: false,
    allowBlank: true,
    info: { type: 'string' },
    parse(value) {
      if (typeof value !== 'string') throw new FieldIssue(MESSAGES.notString);
      const codes = value.split(/[\s,]+/);
      return IMAGE_ROLES.filter((role) => codes.includes(role));
    },
  };
}

/**
 * Optional fields of `POST /api/v1/product_image/` that set at upload what ShipStream's
 * `product_media.create` sets: `label`, `exclude`, `types` and the gallery `file_name`. A client
 * holding the bytes (the `catalog import`) then sends them as they are, in a multipart form,
 * rather than in base64 through JSON-RPC. DRF ignores keys a serializer does not declare, so
 * clients that do not send them see no change.
 */
export const galleryFileFields = {
  label: charField({ required: false, allowBlank: true, trimWhitespace: false, maxLength: MAX_LABEL_LENGTH }),
  exclude: booleanField({ required: false }),
  types: roleCodesField(),
  file_name: charField({ required: false, maxLength: MAX_FILE_NAME_LENGTH }),
};

export interface GalleryFileValues {
  label?: string | undefined;
  exclude?: boolean | undefined;
  types?: ImageRole[] | undefined;
  file_name?: string | undefined;
}

/** The extension a file name takes from the content's signature (what the pipeline then checks). */
function extensionOf(content: Buffer): string {
  return content.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) ? 'png' : 'jpg';
}

/**
 * The upload's inputs for these fields. `file_name` is ShipStream's: sanitised, given the
 * content's extension, dispersed (`/a/b/ab….jpg`), and reserved catalog-wide as `create`
 * reserves it (a taken name gets the first free `_1`, `_2`, …).
 */
export function galleryFileInputs(
  values: GalleryFileValues,
  content: Buffer,
  reserve: { fileNames: GalleryFileNames; productPk: number; context: RequestContext },
): Partial<NewImageInput> {
  return {
    ...(values.label === undefined ? {} : { label: values.label }),
    ...(values.exclude === undefined ? {} : { exclude: values.exclude }),
    ...(values.types === undefined ? {} : { roles: values.types }),
    ...(values.file_name === undefined
      ? {}
      : {
          file: dispersed(requestedFileName(values.file_name, extensionOf(content))),
          reserveFile: (name: string) => reserve.fileNames.reserve(name, reserve.productPk, reserve.context),
          whenFileNameTaken: 'suffix' as const,
        }),
  };
}
