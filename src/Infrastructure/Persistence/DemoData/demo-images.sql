-- The three groups of the API page's example: two dedicated to the demo project, one built-in.
-- Loaded once (guarded by data_loads) when the service runs with its embedded database.
WITH load AS (
    INSERT INTO data_loads (name) VALUES ('demo-images') ON CONFLICT DO NOTHING RETURNING name
), demo (group_id, image_id, project_id, type, namespace, name, tag, create_at, update_at) AS (
    VALUES
        ('6c1d2f4e-8f3a-4c55-9f0e-0a6b7c1d2e01'::uuid, 'b2f7e0c4-1a3d-4e5f-8a9b-0c1d2e3f4a01'::uuid,
         @DemoProjectId, 'DEDICATED', 'infer-model-dev', '123', 'v1', 1652878011643, 1652878531791),
        ('6c1d2f4e-8f3a-4c55-9f0e-0a6b7c1d2e02'::uuid, 'b2f7e0c4-1a3d-4e5f-8a9b-0c1d2e3f4a02'::uuid,
         NULL, 'BUILD_IN', 'op_svc_modelarts_container2', 'pytorch_1_8', '1.8.0', 1671708630448, 1671708630448),
        ('6c1d2f4e-8f3a-4c55-9f0e-0a6b7c1d2e03'::uuid, 'b2f7e0c4-1a3d-4e5f-8a9b-0c1d2e3f4a03'::uuid,
         @DemoProjectId, 'DEDICATED', 'mock-service1', 'mock-service-python', 'latest', 1671093486722, 1671093486722)
), groups AS (
    INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
    SELECT group_id, project_id, '0', type, namespace, name,
           to_timestamp(create_at / 1000.0), to_timestamp(update_at / 1000.0), 1
    FROM demo WHERE EXISTS (SELECT 1 FROM load)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO images (id, group_id, project_id, workspace_id, type, namespace, name, tag, swr_path, status, arch,
                    origin, service_type, visibility, resource_categories, dev_services, tags, create_at, update_at)
SELECT image_id, group_id, project_id, '0', type, namespace, name, tag,
       'swr.example.com/' || namespace || '/' || name || ':' || tag, 'ACTIVE', 'X86_64',
       'CUSTOMIZE', 'UNKNOWN', 'PRIVATE', '{CPU}', '{}', '{}',
       to_timestamp(create_at / 1000.0), to_timestamp(update_at / 1000.0)
FROM demo JOIN groups ON groups.id = demo.group_id;
