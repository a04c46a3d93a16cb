import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AwsCall } from './access-check.js';

export interface DenialResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The error codes of a refused call, per protocol: access denied, or keys the service does not know. */
const errorCodes = {
  'access-denied': { s3: 'AccessDenied', json: 'AccessDeniedException', query: 'AccessDenied' },
  'unknown-keys': { s3: 'InvalidAccessKeyId', json: 'UnrecognizedClientException', query: 'InvalidClientTokenId' },
};

/** A refusal in the wire shape of the call's protocol, as the service itself answers it. */
export function denialResponse(options: { call: AwsCall; message: string; contentType?: string; kind?: keyof typeof errorCodes }): DenialResponse {
  const { call, message } = options;
  const codes = errorCodes[options.kind ?? 'access-denied'];
  const requestId = randomUUID();
  switch (call.protocol) {
    case 'rest-xml':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${codes.s3}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
      };
    case 'query':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${codes.query}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-json':
      return {
        status: 403,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': codes.json, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ Type: 'User', Message: message }),
      };
    case 'json': {
      // SQS speaks JSON but keeps its query-protocol error codes, carried in x-amzn-query-error.
      if (call.queryCompatible) {
        return {
          status: 403,
          headers: { 'content-type': options.contentType ?? 'application/x-amz-json-1.0', 'x-amzn-query-error': `${codes.query};Sender`, 'x-amzn-requestid': requestId },
          body: JSON.stringify({ __type: `com.amazon.coral.service#${codes.json}`, message }),
        };
      }
      const type = call.service === 'dynamodb' ? `com.amazon.coral.service#${codes.json}` : codes.json;
      return {
        status: 400,
        headers: { 'content-type': options.contentType ?? 'application/x-amz-json-1.1', 'x-amzn-errortype': codes.json, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: type, Message: message }),
      };
    }
  }
}

export function sendDenial(res: ServerResponse, denial: DenialResponse, method: string): void {
  res.writeHead(denial.status, { ...denial.headers, 'content-length': method === 'HEAD' ? '0' : String(Buffer.byteLength(denial.body)) });
  res.end(method === 'HEAD' ? undefined : denial.body);
}
