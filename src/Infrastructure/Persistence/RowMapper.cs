using System.Text.Json;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Application.ImageGroups.UpdateImageGroup;
using ImageCatalog.Application.Images;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using Riok.Mapperly.Abstractions;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>Rows to response DTOs: timestamps become UTC milliseconds, enum text becomes enums.</summary>
[Mapper]
public static partial class RowMapper
{
    /// <summary>How group tags are stored in image_groups.tags.</summary>
    public static readonly JsonSerializerOptions TagJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static partial ImageGroupDto ToDto(this ImageGroupRow row);

    public static partial ImageDto ToDto(this ImageRow row);

    /// <summary>The image as DeleteImage answers it: what was stored, with status DELETED.</summary>
    public static ImageDto ToDeletedDto(this ImageRow row) => row.ToDto() with { Status = ImageStatus.Deleted };

    private static IReadOnlyList<GroupTag>? ToTags(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<GroupTag>>(json, TagJson);

    private static long ToUnixMilliseconds(DateTime value) => new DateTimeOffset(value, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static ImageType ToImageType(string value) => WireNames<ImageType>.Parse(value);

    private static ImageStatus ToImageStatus(string value) => WireNames<ImageStatus>.Parse(value);

    private static ImageArch ToImageArch(string value) => WireNames<ImageArch>.Parse(value);

    private static ImageOrigin ToImageOrigin(string value) => WireNames<ImageOrigin>.Parse(value);

    private static ImageServiceType ToServiceType(string value) => WireNames<ImageServiceType>.Parse(value);

    private static ImageVisibility ToVisibility(string value) => WireNames<ImageVisibility>.Parse(value);

    private static ResourceCategory ToResourceCategory(string value) => WireNames<ResourceCategory>.Parse(value);

    private static DevService ToDevService(string value) => WireNames<DevService>.Parse(value);
}
