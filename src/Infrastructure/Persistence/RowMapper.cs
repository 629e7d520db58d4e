using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Application.Images;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using Riok.Mapperly.Abstractions;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>Rows to response DTOs: timestamps become UTC milliseconds, enum text becomes enums.</summary>
[Mapper]
public static partial class RowMapper
{
    public static partial ImageGroupDto ToDto(this ImageGroupRow row);

    public static partial ImageDto ToDto(this ImageRow row);

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
