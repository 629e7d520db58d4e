using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>The <c>migrate</c> command: applies pending migrations to the configured database (or the embedded one) and returns.</summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var embedded = services.GetService<EmbeddedPostgresService>();
        if (embedded is not null)
        {
            await embedded.StartAsync(cancellationToken);
        }

        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.StopAsync(CancellationToken.None);
            }
        }
    }
}
