// For format tests: a fromRecord result as the sample or the error the test expects, failing loudly otherwise.
import type { RecordError, SampleInput } from "@/lib/samples/types";

export function expectSample(result: SampleInput | RecordError): SampleInput {
  if ("message" in result) throw new Error(`${result.field}: ${result.message}`);
  return result;
}

export function expectError(result: SampleInput | RecordError): RecordError {
  if (!("message" in result)) throw new Error("expected a record error");
  return result;
}
