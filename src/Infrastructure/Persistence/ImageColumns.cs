namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>The images columns aliased to <see cref="ImageRow"/>, shared by every statement that returns images.</summary>
internal static class ImageColumns
{
    public const string Select = """
        id AS Id, name AS Name, namespace AS Namespace, tag AS Tag, swr_path AS SwrPath, type AS Type,
        status AS Status, create_at AS CreateAt, update_at AS UpdateAt, workspace_id AS WorkspaceId,
        visibility AS Visibility, arch AS Arch, origin AS Origin, service_type AS ServiceType,
        resource_categories AS ResourceCategories, dev_services AS DevServices, tags AS Tags,
        description AS Description, read_me AS ReadMe, size AS Size
        """;
}
