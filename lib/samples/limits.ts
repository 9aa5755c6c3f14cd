/** Largest browser upload the server accepts (bytes). The CLI reads files of any size as a stream. */
export const UPLOAD_MAX_BYTES = Number(process.env.STUDIO_UPLOAD_MAX_BYTES) || 512 * 1024 * 1024;

/** How many rejected records an import keeps in detail; the count is always exact. */
export const MAX_REPORTED_ERRORS = 1000;
