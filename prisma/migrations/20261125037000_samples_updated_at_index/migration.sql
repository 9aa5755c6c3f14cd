-- The samples table sorted by last update (keyset on updated_at, id).
CREATE INDEX "samples_updated_at_id_idx" ON "samples"("updated_at", "id");
