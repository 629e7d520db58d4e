using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ImageCatalog.Application.ImageGroups.GetImageGroups;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Source-generated serialisation of the busiest responses, with the wire names of <see cref="DependencyInjection.ConfigureJson"/>
/// (snake_case, nulls left out; no enums in these types, so its enum converter has nothing to do here). With the
/// context's own options the serializer takes the generated fast path: it writes each property directly instead of
/// walking converters (docs/performance.md). A test holds the output equal to the reflection-based one.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageGroupPage))]
internal sealed partial class ResponseJson : JsonSerializerContext;

/// <summary>
/// A 200 with a JSON body and its <c>Content-Length</c>: the body is serialised into a pooled buffer first and written
/// in one piece, so the response is not chunked (no chunk framing for Kestrel to write and the client to parse). The
/// action that returns it declares the response type for OpenAPI.
/// </summary>
public sealed class JsonBody<T>(T value, JsonTypeInfo<T> typeInfo) : IResult
{
    private const string MediaType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.ContentLength = buffer.WrittenMemory.Length;
        await response.BodyWriter.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}
