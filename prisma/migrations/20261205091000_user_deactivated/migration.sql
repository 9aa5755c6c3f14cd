-- An admin can deactivate an account (no sign-in, sessions ended) and reactivate it; its history stays.
ALTER TABLE "users" ADD COLUMN "deactivated_at" TIMESTAMPTZ(3);
