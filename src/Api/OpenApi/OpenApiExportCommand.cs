using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageCatalog.Api.OpenApi;

/// <summary>
/// The <c>openapi [path]</c> command: writes the document the service serves at <see cref="OpenApiSetup.DocumentPath"/>
/// to a file (docs/openapi.json in the repository) without starting the server or touching a database.
/// </summary>
public static class OpenApiExportCommand
{
    public const string Name = "openapi";

    public static async Task RunAsync(WebApplication app, string path, CancellationToken cancellationToken)
    {
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSetup.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        await using var file = File.Create(path);
        await document.SerializeAsJsonAsync(file, OpenApiSpecVersion.OpenApi3_1, cancellationToken);
    }
}
