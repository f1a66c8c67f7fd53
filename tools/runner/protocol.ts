/**
 * The Jupyter messaging protocol v5.3 on the wire: HMAC-SHA256 signed multipart frames.
 *
 * A message is sent as `[<IDS|MSG>, signature, header, parent_header, metadata, content, ...buffers]`
 * (routing identities may come before the delimiter; sockets that receive from a Router see none,
 * subscribers see the kernel's topic frames). The signature is the hex HMAC-SHA256 of the four JSON
 * frames under the connection file's key.
 *
 *     const codec = new WireCodec(key);
 *     const frames = codec.encode(codec.message("kernel_info_request", {}));
 *     const msg = codec.decode(receivedFrames); // throws on a bad signature
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = Buffer.from("<IDS|MSG>");

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface JupyterMessage<C = Record<string, unknown>> {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Signs, encodes and decodes messages of one client session. */
export class WireCodec {
  readonly session = randomUUID();
  private counter = 0;

  constructor(private readonly key: string) {
    if (typeof key !== "string") throw new TypeError(`key must be a string; got ${typeof key}`);
  }

  /** A new request header; msg ids are unique per session, as the spec asks. */
  message<C extends object>(msgType: string, content: C): JupyterMessage<C> {
    this.counter += 1;
    return {
      header: {
        msg_id: `${this.session}_${this.counter}`,
        msg_type: msgType,
        session: this.session,
        username: "llm-dynamics",
        date: new Date().toISOString(),
        version: PROTOCOL_VERSION,
      },
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
  }

  sign(frames: Buffer[]): string {
    if (this.key === "") return "";
    const hmac = createHmac("sha256", this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  encode(msg: JupyterMessage<object>): Buffer[] {
    const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part), "utf8"));
    return [DELIMITER, Buffer.from(this.sign(body), "ascii"), ...body, ...msg.buffers];
  }

  decode(frames: Buffer[]): JupyterMessage {
    const at = frames.findIndex((frame) => frame.equals(DELIMITER));
    if (at < 0) throw new Error("message has no <IDS|MSG> delimiter");
    if (frames.length < at + 6) throw new Error(`message has ${frames.length - at - 1} frames after the delimiter; need at least 5`);
    const signature = frames[at + 1];
    const body = frames.slice(at + 2, at + 6);
    const expected = Buffer.from(this.sign(body), "ascii");
    if (this.key !== "" && (signature.length !== expected.length || !timingSafeEqual(signature, expected))) {
      throw new Error(`message signature ${JSON.stringify(signature.toString("ascii").slice(0, 16))}… does not match the connection key`);
    }
    const [header, parent, metadata, content] = body.map((frame) => JSON.parse(frame.toString("utf8")));
    return { header, parent_header: parent, metadata, content, buffers: frames.slice(at + 6) };
  }
}
