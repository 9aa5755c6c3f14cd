import { CalibrationParams } from "@/lib/calibration/api";
import { getCalibration } from "@/lib/calibration/calibrations";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/calibrations/:id — {calibration, disagreements}; 404 for an unknown calibration. */
export const GET = route({ permission: "runs.read", params: CalibrationParams }, async ({ params }) => getCalibration(params.id));
