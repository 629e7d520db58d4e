namespace ImageCatalog.Api.OpenApi;

/// <summary>
/// Declares a query parameter (or, with <see cref="InHeader"/>, a request header) for the OpenAPI document. The
/// endpoints read these with StrictQueryString or from the headers rather than by model binding, so the framework
/// cannot see them itself.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    /// <summary><c>string</c>, <c>bool</c>, <c>int</c> or an enum.</summary>
    public Type Type { get; } = type;

    public string Description { get; } = description;

    /// <summary>The default as the contract states it, when there is one.</summary>
    public string? Default { get; init; }

    /// <summary>A request header rather than a query parameter.</summary>
    public bool InHeader { get; init; }
}

/// <summary>Declares the parameters that ListImageGroup and ListImage share (see <see cref="OpenApiSetup.ListParameters"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ListQueryParametersAttribute : Attribute;
