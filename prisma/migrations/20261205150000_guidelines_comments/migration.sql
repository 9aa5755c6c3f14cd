-- Working together: per-dataset guidelines (every save a new version, old versions kept), a comment thread per
-- sample, the people a comment @mentions (read or not), and the guidelines version each review decision was made
-- under. All hang off datasets or samples and cascade with them: deleting a dataset removes them in its transaction.

-- CreateTable
CREATE TABLE "dataset_guidelines" (
    "dataset_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_guidelines_pkey" PRIMARY KEY ("dataset_id","version")
);

-- CreateTable
CREATE TABLE "sample_comments" (
    "id" SERIAL NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sample_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comment_mentions" (
    "comment_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "comment_mentions_pkey" PRIMARY KEY ("comment_id","user_id")
);

-- CreateIndex
CREATE INDEX "sample_comments_sample_id_id_idx" ON "sample_comments"("sample_id", "id");

-- CreateIndex
CREATE INDEX "comment_mentions_user_id_comment_id_idx" ON "comment_mentions"("user_id", "comment_id");

-- AddForeignKey
ALTER TABLE "dataset_guidelines" ADD CONSTRAINT "dataset_guidelines_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sample_comments" ADD CONSTRAINT "sample_comments_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comment_mentions" ADD CONSTRAINT "comment_mentions_comment_id_fkey" FOREIGN KEY ("comment_id") REFERENCES "sample_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comment_mentions" ADD CONSTRAINT "comment_mentions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable (nullable, no default: instant on a large table; null when the dataset had no guidelines)
ALTER TABLE "review_decisions" ADD COLUMN "guidelines_version" INTEGER;
