using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ImageCatalog.Client;

/// <summary>
/// The ImageCatalog API as typed calls. Give it an <see cref="HttpClient"/> whose base address is the service and whose
/// handlers authenticate (<see cref="TokenAuthenticationHandler"/> or <see cref="SdkSigningHandler"/>). An error
/// answer becomes an <see cref="ImageCatalogException"/> with the contract's body. A strict client
/// (<see cref="ImageCatalogClientOptions.Strict"/>) also refuses any answer that is not exactly the contract's shape:
/// a member missing, unknown or null where the contract forbids it, another success status, a non-JSON body.
/// </summary>
public sealed class ImageCatalogClient(HttpClient http, ImageCatalogClientOptions? options = null)
{
    public const string ReadConsistencyHeader = "X-Read-Consistency";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly string[] ListParameters = ["name", "name_fuzzy_match", "namespace", "type", "workspace_id", "limit", "offset"];

    /// <summary>Every operation this client sends; a test checks them against the service's OpenAPI document.</summary>
    public static IReadOnlyList<ClientOperation> Operations { get; } =
    [
        new("ListImageGroup", "GET", "/v1/{project_id}/images/group", ListParameters, [ReadConsistencyHeader], null, typeof(ImageGroupPage), 200),
        new("UpdateImageGroup", "PUT", "/v1/{project_id}/images/group/{id}", [], [], typeof(UpdateImageGroupRequest), null, 204),
        new("DeleteImageGroup", "DELETE", "/v1/{project_id}/images/group/{id}", [], [], null, null, 204),
        new("RegisterImage", "POST", "/v1/{project_id}/images", [], [IdempotencyKeyHeader], typeof(RegisterImageRequest), typeof(Image), 201),
        new("ListImage", "GET", "/v1/{project_id}/images", [.. ListParameters, "service_type", "sort_key", "sort_dir"], [ReadConsistencyHeader], null, typeof(ImagePage), 200),
        new("ShowImage", "GET", "/v1/{project_id}/images/{id}", [], [ReadConsistencyHeader], null, typeof(Image), 200),
        new("DeleteImage", "DELETE", "/v1/{project_id}/images/{id}", ["force"], [], null, typeof(Image), 200),
    ];

    /// <summary>The wire's JSON: snake_case names, null members left out of requests.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The contract's shapes exactly: no unknown member, every non-nullable member present and not null. A nullable
    /// member may be absent (the service leaves null members out).
    /// </summary>
    public static JsonSerializerOptions StrictJson { get; } = new(Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { RequireNonNullableMembers } },
    };

    private readonly bool _strict = options?.Strict ?? false;

    private static void RequireNonNullableMembers(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var nullability = new NullabilityInfoContext();
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is PropertyInfo member && nullability.Create(member).ReadState == NullabilityState.NotNull)
            {
                property.IsRequired = true;
            }
        }
    }

    public async Task<ImageGroupPage> ListImageGroupsAsync(string projectId, ImageGroupQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ImageGroupQuery();
        var path = Path(projectId, "images/group") + QueryString(
            ("name", query.Name), ("name_fuzzy_match", Text(query.NameFuzzyMatch)), ("namespace", query.Namespace), ("type", query.Type),
            ("workspace_id", query.WorkspaceId), ("limit", Text(query.Limit)), ("offset", Text(query.Offset)));
        using var request = Read(path, query.StrongRead);
        return await SendAsync<ImageGroupPage>(request, HttpStatusCode.OK, cancellationToken);
    }

    public async Task<ImagePage> ListImagesAsync(string projectId, ImageQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ImageQuery();
        var path = Path(projectId, "images") + QueryString(
            ("name", query.Name), ("name_fuzzy_match", Text(query.NameFuzzyMatch)), ("namespace", query.Namespace), ("type", query.Type),
            ("workspace_id", query.WorkspaceId), ("service_type", query.ServiceType), ("sort_key", query.SortKey),
            ("sort_dir", query.SortDir), ("limit", Text(query.Limit)), ("offset", Text(query.Offset)));
        using var request = Read(path, query.StrongRead);
        return await SendAsync<ImagePage>(request, HttpStatusCode.OK, cancellationToken);
    }

    public async Task<Image> ShowImageAsync(string projectId, Guid id, bool strongRead = false, CancellationToken cancellationToken = default)
    {
        using var request = Read(Path(projectId, $"images/{id}"), strongRead);
        return await SendAsync<Image>(request, HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Registers an image version; with <paramref name="idempotencyKey"/> a repeat gets the first answer.</summary>
    public async Task<Image> RegisterImageAsync(
        string projectId, RegisterImageRequest image, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path(projectId, "images"))
        {
            Content = JsonContent.Create(image, options: Json),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        return await SendAsync<Image>(request, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>Deletes one version; the answer is the image with status DELETED. <paramref name="force"/> is accepted and changes nothing.</summary>
    public async Task<Image> DeleteImageAsync(string projectId, Guid id, bool force = false, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Path(projectId, $"images/{id}") + (force ? "?force=true" : ""));
        return await SendAsync<Image>(request, HttpStatusCode.OK, cancellationToken);
    }

    public async Task UpdateImageGroupAsync(string projectId, Guid id, UpdateImageGroupRequest update, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Path(projectId, $"images/group/{id}"))
        {
            Content = JsonContent.Create(update, options: Json),
        };
        await SendAsync(request, HttpStatusCode.NoContent, cancellationToken);
    }

    public async Task DeleteImageGroupAsync(string projectId, Guid id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Path(projectId, $"images/group/{id}"));
        await SendAsync(request, HttpStatusCode.NoContent, cancellationToken);
    }

    private static string Path(string projectId, string rest) => $"v1/{Uri.EscapeDataString(projectId)}/{rest}";

    private static string? Text(bool? value) => value is null ? null : value.Value ? "true" : "false";

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string QueryString(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(parameter => parameter.Value is not null).ToList();
        return given.Count == 0
            ? ""
            : "?" + string.Join('&', given.Select(parameter => $"{parameter.Name}={Uri.EscapeDataString(parameter.Value!)}"));
    }

    private static HttpRequestMessage Read(string path, bool strong)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (strong)
        {
            request.Headers.Add(ReadConsistencyHeader, "STRONG");
        }

        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, expected, cancellationToken);
        if (_strict && response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            throw new ImageCatalogContractException(
                $"{request.Method} {request.RequestUri}: the answer is {response.Content.Headers.ContentType?.MediaType ?? "untyped"}, not application/json.");
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(body, _strict ? StrictJson : Json)
                ?? throw new ImageCatalogContractException($"{request.Method} {request.RequestUri}: the answer is null, not a {typeof(T).Name}.");
        }
        catch (JsonException exception)
        {
            throw new ImageCatalogContractException(
                $"{request.Method} {request.RequestUri}: the answer is not a {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == expected || (!_strict && response.IsSuccessStatusCode))
        {
            return response;
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new ImageCatalogContractException(
                    $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} where the contract answers {(int)expected}.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            ApiError? error;
            try
            {
                error = JsonSerializer.Deserialize<ApiError>(text, _strict ? StrictJson : Json);
            }
            catch (JsonException exception)
            {
                // A lenient client still reports the status when a proxy in between answered with a page of its own.
                error = _strict
                    ? throw new ImageCatalogContractException(
                        $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} without the contract's error body: {exception.Message}",
                        exception)
                    : null;
            }

            var message = new StringBuilder().Append(request.Method).Append(' ').Append(request.RequestUri).Append(": ")
                .Append((int)response.StatusCode);
            if (error is not null)
            {
                message.Append(' ').Append(error.ErrorCode).Append(' ').Append(error.ErrorMsg).Append(" (request ").Append(error.RequestId).Append(')');
            }

            throw new ImageCatalogException(response.StatusCode, error, message.ToString());
        }
    }
}

public sealed record ImageCatalogClientOptions
{
    /// <summary>Refuse any answer that is not exactly the contract's (the contract suite runs strict).</summary>
    public bool Strict { get; init; }
}

/// <summary>
/// One operation as the client sends it: method, path template, the query parameters and headers it can send, its body
/// and answer types, and the success status.
/// </summary>
public sealed record ClientOperation(
    string Name,
    string Method,
    string Path,
    IReadOnlyList<string> QueryParameters,
    IReadOnlyList<string> Headers,
    Type? RequestBody,
    Type? Response,
    int SuccessStatus);
