using ImageCatalog.Api;
using ImageCatalog.Application;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;

// `ImageCatalog.Api migrate` applies the migrations and exits, for deployments that migrate before rolling out.
var migrateOnly = args is [MigrateCommand.Name, ..];
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
// Kestrel reads only its endpoints from configuration by itself; its limits (appsettings.json) are bound here.
builder.WebHost.ConfigureKestrel((context, kestrel) => context.Configuration.GetSection("Kestrel").Bind(kestrel));
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi(builder.Configuration);

var app = builder.Build();
if (migrateOnly)
{
    await MigrateCommand.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
    return 0;
}

app.UseApi();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Log(app));
await app.RunAsync();
return 0;
