using ImageCatalog.Api;
using ImageCatalog.Application;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;

// `ImageCatalog.Api migrate` applies the migrations and exits, for deployments that migrate before rolling out.
var migrateOnly = args is [MigrateCommand.Name, ..];
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
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
