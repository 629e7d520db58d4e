using ImageCatalog.Api.Authentication;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api;

/// <summary>Tells a newcomer where the service listens and gives a curl command that works as it stands.</summary>
public static class StartupBanner
{
    public static void Log(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault();
        if (first is null)
        {
            return;
        }

        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        app.Logger.LogInformation("ImageCatalog is listening on {Addresses}", string.Join(", ", addresses));
        if (app.Services.GetService<DemoTokenIssuer>() is { } tokens)
        {
            var token = tokens.Mint(options.DemoProjectId, DateTime.UtcNow);
            app.Logger.LogInformation(
                "Try (a demo token, valid for a day): curl -H 'X-Auth-Token: {Token}' '{BaseAddress}/v1/{ProjectId}/images/group'",
                token,
                first.TrimEnd('/'),
                options.DemoProjectId);
        }

        if (app.Services.GetService<DemoCredentials>() is { } demo)
        {
            // Local demo credentials of the embedded mode only; configured keys are never logged.
            app.Logger.LogInformation(
                "Demo credentials for project {ProjectId} (SDK BasicCredentials): access key {AccessKey}, secret key {SecretKey}",
                options.DemoProjectId,
                demo.AccessKey,
                demo.SecretKey);
        }
    }
}
