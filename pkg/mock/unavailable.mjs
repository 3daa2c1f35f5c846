// uspeedo-sms/mock is a Node server (node:http); in Workers and browsers the
// import resolves here and says so instead of failing to load node: modules.
export function startMockServer() {
  throw new Error("uspeedo-sms/mock runs in Node only (it is an HTTP server on 127.0.0.1)");
}
