namespace ImageCatalog.Client;

// The API's JSON as records; property names become snake_case on the wire (ImageCatalogClient.Json). Enumerations
// stay strings, so that a value the service adds later reads without an update of this package.

/// <summary>One page of ListImageGroup.</summary>
public sealed record ImageGroupPage(int Current, int Pages, int Size, long Total, IReadOnlyList<ImageGroup> Data);

/// <summary>The versions of one (namespace, name) and type: times are UTC milliseconds.</summary>
public sealed record ImageGroup(
    Guid Id, string Name, string Namespace, long CreateAt, long UpdateAt, int VersionCount, string? ReadMe, IReadOnlyList<GroupTag>? Tags);

/// <summary>A group tag; the service refuses a tag without key or value on update, and the document declares both optional.</summary>
public sealed record GroupTag(string? Key, string? Value);

/// <summary>One page of ListImage.</summary>
public sealed record ImagePage(int Current, int Pages, int Size, long Total, IReadOnlyList<Image> Data);

/// <summary>One image version.</summary>
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
    IReadOnlyList<string> ResourceCategories,
    IReadOnlyList<string> DevServices,
    IReadOnlyList<string> Tags,
    string? Description,
    string? ReadMe,
    long? Size);

/// <summary>The RegisterImage body; a null field is left out, and the service applies the contract's default.</summary>
public sealed record RegisterImageRequest(string SwrPath)
{
    public string? Description { get; init; }

    public string? Arch { get; init; }

    public string? Origin { get; init; }

    public IReadOnlyList<string>? ResourceCategory { get; init; }

    public string? ServiceType { get; init; }

    public IReadOnlyList<string>? Services { get; init; }

    public string? Visibility { get; init; }

    public string? WorkspaceId { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? ReadMe { get; init; }

    public string? Type { get; init; }
}

/// <summary>The UpdateImageGroup body: a field that is given replaces the stored one.</summary>
public sealed record UpdateImageGroupRequest(string? ReadMe, IReadOnlyList<GroupTag>? Tags);

/// <summary>The contract's error body.</summary>
public sealed record ApiError(string ErrorCode, string ErrorMsg, string RequestId);

/// <summary>The filters and page of ListImageGroup; null leaves a parameter out.</summary>
public sealed record ImageGroupQuery
{
    public string? Name { get; init; }

    public bool? NameFuzzyMatch { get; init; }

    public string? Namespace { get; init; }

    public string? Type { get; init; }

    public string? WorkspaceId { get; init; }

    public int? Limit { get; init; }

    public int? Offset { get; init; }

    /// <summary><c>true</c>: read the primary, so that a write just made is seen (X-Read-Consistency: STRONG).</summary>
    public bool StrongRead { get; init; }
}

/// <summary>The filters, order and page of ListImage; null leaves a parameter out.</summary>
public sealed record ImageQuery
{
    public string? Name { get; init; }

    public bool? NameFuzzyMatch { get; init; }

    public string? Namespace { get; init; }

    public string? Type { get; init; }

    public string? WorkspaceId { get; init; }

    public string? ServiceType { get; init; }

    public string? SortKey { get; init; }

    public string? SortDir { get; init; }

    public int? Limit { get; init; }

    public int? Offset { get; init; }

    public bool StrongRead { get; init; }
}
