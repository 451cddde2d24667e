/** Validation of a rendered definition with asl-validator (the AWS States Language schema and checks). */

interface AslValidationError {
  readonly "Error code": string;
  readonly Message: string;
}
interface AslValidationResult {
  readonly isValid: boolean;
  readonly errors: readonly AslValidationError[];
  readonly errorsText: (separator?: string) => string;
}
type AslValidator = (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => AslValidationResult;

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as AslValidator;

/** The problems asl-validator finds in a definition's JSON; empty when it is valid. */
export function validateDefinition(definitionJson: string): string[] {
  // The validator annotates the object it is given, so it gets its own copy.
  const result = aslValidator(JSON.parse(definitionJson), { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errors.map((e) => `${e["Error code"]}: ${e.Message}`);
}
