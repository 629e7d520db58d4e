using ImageCatalog.Api;
using ImageCatalog.Api.OpenApi;
using ImageCatalog.Application;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

try
{
    // `ImageCatalog.Api migrate` applies the migrations and exits, for deployments that migrate before rolling out;
    // `ImageCatalog.Api openapi <file>` writes the OpenAPI document and exits.
    var migrateOnly = args is [MigrateCommand.Name, ..];
    var exportPath = args is [OpenApiExportCommand.Name, var path, ..] ? Path.GetFullPath(path) : null;
    var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : exportPath is not null ? args[2..] : args);
    // Kestrel reads only its endpoints from configuration by itself; its limits (appsettings.json) are bound here.
    builder.WebHost.ConfigureKestrel((context, kestrel) => context.Configuration.GetSection("Kestrel").Bind(kestrel));
    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration)
        .AddApi(builder.Configuration);

    var app = builder.Build();
    // Before anything starts: a bad value is then one line (below), not a failed host's logged stack trace.
    app.Services.GetService<IStartupValidator>()?.Validate();
    if (migrateOnly)
    {
        await MigrateCommand.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
        return 0;
    }

    app.UseApi();
    if (exportPath is not null)
    {
        await OpenApiExportCommand.RunAsync(app, exportPath, app.Lifetime.ApplicationStopping);
        return 0;
    }

    app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Log(app));
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupFailure.TryDescribe(exception, out var line))
{
    await Console.Error.WriteLineAsync(line);
    return StartupFailure.ExitCode;
}
