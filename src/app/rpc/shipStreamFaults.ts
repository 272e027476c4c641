import { AppError } from '../../errors/appError.ts';

/**
 * ShipStream (OpenMage) API faults: the general ones of the API server and the media ones of
 * `product_media`. On the wire a fault is the JSON-RPC error code `-(32000 + fault)` with its
 * message, or the specific detail where OpenMage gives one.
 */
export const FAULT_MESSAGES = {
  0: 'Unknown Error',
  1: 'Internal Error. Please see log for details.',
  2: 'Access denied.',
  3: 'Invalid api path.',
  4: 'Resource path is not callable.',
  5: 'Session expired. Try to relogin.',
  6: 'Required parameter is missing, for more details see "exception.log".',
  /**
   * Ours, not OpenMage's (whose general faults end at 6): the image work is bounded and full
   * right now. The message says when to retry ("Image processing is busy; retry in 2 seconds.");
   * unlike 104, the same call may well succeed later.
   */
  7: 'Service is busy. Please retry later.',
  100: 'Requested store view not found.',
  101: 'Product not exists.',
  102: 'Invalid data given. Details in error message.',
  103: "Requested image not exists in product images' gallery.",
  104: 'Image creation failed. Details in error message.',
  105: 'Image not updated. Details in error message.',
  106: 'Image not removed. Details in error message.',
  107: "Requested product doesn't support images",
} as const;

export type FaultNumber = keyof typeof FAULT_MESSAGES;

/** A ShipStream fault; `message` is the fault's text or OpenMage's specific detail. */
export class ShipStreamFault extends AppError {
  readonly fault: FaultNumber;

  constructor(fault: FaultNumber, detail?: string, cause?: unknown) {
    // Fault 1 hides its cause like any 5xx; every other fault is the client's to read.
    super(`FAULT_${fault}`, detail ?? FAULT_MESSAGES[fault], { status: fault === 1 ? 500 : 400, cause });
    this.name = 'ShipStreamFault';
    this.fault = fault;
  }
}

/** Arguments of the wrong JSON type or count: JSON-RPC's own "Invalid params" (-32602). */
export class InvalidParamsError extends AppError {
  constructor(detail: string) {
    super('INVALID_PARAMS', `Invalid params: ${detail}`, { status: 400 });
    this.name = 'InvalidParamsError';
  }
}

/** OpenMage's specific texts of fault 102 and 104. */
export const IMAGE_NOT_SPECIFIED = 'The image is not specified.';
export const INVALID_IMAGE_TYPE = 'Invalid image type.';
export const INVALID_BASE64 = 'The image contents is not valid base64 data.';
/** `update`'s own wording of the same fault (OpenMage's `Media_Api::update`). */
export const INVALID_BASE64_ON_UPDATE = 'Image content is not valid base64 data.';
export const INVALID_IMAGE = 'Invalid image.';
