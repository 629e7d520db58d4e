using ImageCatalog.Domain.Images;

namespace ImageCatalog.Application.Images;

/// <summary>One image version as the API returns it (CONTRACT.md section 2). Times are UTC milliseconds.</summary>
public sealed record ImageDto(
    Guid Id,
    string Name,
    string Namespace,
    string Tag,
    string SwrPath,
    ImageType Type,
    ImageStatus Status,
    long CreateAt,
    long UpdateAt,
    string WorkspaceId,
    ImageVisibility Visibility,
    ImageArch Arch,
    ImageOrigin Origin,
    ImageServiceType ServiceType,
    IReadOnlyList<ResourceCategory> ResourceCategories,
    IReadOnlyList<DevService> DevServices,
    IReadOnlyList<string> Tags,
    string? Description,
    string? ReadMe,
    long? Size);
