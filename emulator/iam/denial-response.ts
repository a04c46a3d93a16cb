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

/** An AccessDenied answer in the wire shape of the call's protocol, as the service itself answers it. */
export function denialResponse(options: { call: AwsCall; message: string; contentType?: string }): DenialResponse {
  const { call, message } = options;
  const requestId = randomUUID();
  switch (call.protocol) {
    case 'rest-xml':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
      };
    case 'query':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-json':
      return {
        status: 403,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ Type: 'User', Message: message }),
      };
    case 'json': {
      // SQS speaks JSON but keeps its query-protocol error codes, carried in x-amzn-query-error.
      if (call.queryCompatible) {
        return {
          status: 403,
          headers: { 'content-type': options.contentType ?? 'application/x-amz-json-1.0', 'x-amzn-query-error': 'AccessDenied;Sender', 'x-amzn-requestid': requestId },
          body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
        };
      }
      const type = call.service === 'dynamodb' ? 'com.amazon.coral.service#AccessDeniedException' : 'AccessDeniedException';
      return {
        status: 400,
        headers: { 'content-type': options.contentType ?? 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: type, Message: message }),
      };
    }
  }
}

export function sendDenial(res: ServerResponse, denial: DenialResponse, method: string): void {
  res.writeHead(denial.status, { ...denial.headers, 'content-length': method === 'HEAD' ? '0' : String(Buffer.byteLength(denial.body)) });
  res.end(method === 'HEAD' ? undefined : denial.body);
}
