import { humanAuthor } from "@/lib/auth/current-user";
import { PricesUpdate } from "@/lib/cost/prices";
import { getModelPrices, saveModelPrices } from "@/lib/cost/prices-store";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/settings/prices — {prices: [{model, input, cachedInput?, output}]} in US dollars per 1M tokens. */
export const GET = route({ permission: "settings.read" }, async () => ({ prices: await getModelPrices() }));

/** PUT /api/settings/prices {prices: [...]} — replaces every price: 200 {prices}; 400 naming the field at fault. */
export const PUT = route({ permission: "settings.write", body: PricesUpdate }, async ({ user, body }) => ({
  prices: await saveModelPrices(body, humanAuthor(user)),
}));
