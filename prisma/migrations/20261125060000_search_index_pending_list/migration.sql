-- Import speed: the full-text index takes a large import's new entries into its pending list (64 MB instead of
-- 4 MB) and merges them in big batches — by autovacuum soon after, or when the list fills — instead of many small
-- ones during the import (about 2 s of a 60k import). Searches read the pending list meanwhile: results are the same.
ALTER INDEX "samples_search_idx" SET (gin_pending_list_limit = 65536);
