-- UpdateImageGroup's tags, as a JSON array of {"key", "value"} objects in the order given.
ALTER TABLE image_groups ADD COLUMN tags jsonb;

-- ListImage walks the visible images in their default order (create_at DESC, id DESC), one index per branch,
-- and filters names like the groups do.
CREATE INDEX images_dedicated_created_idx
    ON images (project_id, workspace_id, create_at DESC, id DESC)
    WHERE project_id IS NOT NULL;
CREATE INDEX images_built_in_created_idx
    ON images (create_at DESC, id DESC)
    WHERE project_id IS NULL;
CREATE INDEX images_name_trgm_idx ON images USING gin (name gin_trgm_ops) WITH (fastupdate = off);
