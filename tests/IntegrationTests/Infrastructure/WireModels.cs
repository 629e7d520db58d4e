using System.Text.Json;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>The contract's JSON as a client reads it, independent of the service's own types.</summary>
public sealed record GroupPage(int Current, int Pages, int Size, long Total, List<Group> Data);

public sealed record Group(
    Guid Id, string Name, string Namespace, long CreateAt, long UpdateAt, int VersionCount, string? ReadMe, List<GroupTag>? Tags);

public sealed record GroupTag(string Key, string Value);

public sealed record ImagePage(int Current, int Pages, int Size, long Total, List<Image> Data);

public sealed record Image(
    Guid Id,
    string Name,
    string Namespace,
    string Tag,
    string SwrPath,
    string Type,
    string Status,
    long CreateAt,
    long UpdateAt,
    string WorkspaceId,
    string Visibility,
    string Arch,
    string Origin,
    string ServiceType,
    List<string> ResourceCategories,
    List<string> DevServices,
    string? Description);

public sealed record Error(string ErrorCode, string ErrorMsg, string RequestId);

public static class Wire
{
    public static JsonSerializerOptions Json { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
