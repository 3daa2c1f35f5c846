// The CommonJS view of the same package: `require` resolves to the node.cjs
// build and its .d.cts types.
import sms = require("uspeedo-sms");

const client = new sms.Client({ publicKey: "pk", privateKey: "sk" });
const result: sms.ValidationResult = sms.validateBatch({ TaskContent: [] });
const error: unknown = new Error("x");
if (error instanceof sms.UspeedoError && error.code === "VALIDATION") console.log(error.issues.length);
console.log(client, result.ok, sms.previewMessage("a", []).segments, sms.signPayload({}, "k"));
