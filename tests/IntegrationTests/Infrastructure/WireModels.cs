// The contract's JSON as a client reads it: the typed client's models (ImageCatalog.Client), which a unit test checks
// against the OpenAPI document, independent of the service's own types.
global using Error = ImageCatalog.Client.ApiError;
global using Group = ImageCatalog.Client.ImageGroup;
global using GroupPage = ImageCatalog.Client.ImageGroupPage;
global using GroupTag = ImageCatalog.Client.GroupTag;
global using Image = ImageCatalog.Client.Image;
global using ImagePage = ImageCatalog.Client.ImagePage;

using System.Text.Json;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>The tests' own JSON options: unlike the client's, they write null members, so a test's explicit null is sent.</summary>
public static class Wire
{
    public static JsonSerializerOptions Json { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
