import { CompareQuery } from "@/lib/calibration/api";
import { compareCalibrations } from "@/lib/calibration/calibrations";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/calibrations/compare?a=&b= — two calibrations of the same dataset and stage on the samples both judged:
 * {pairs, onlyA, onlyB, agreementA, agreementB, pValue, beyondNoise, a, b}; 400 for different slices.
 */
export const GET = route({ permission: "runs.read", query: CompareQuery }, async ({ query }) => compareCalibrations(query.a, query.b));
