using ImageCatalog.Infrastructure.Images;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageCatalog.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DatabaseOptions.SectionName);
        var options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Validate() is { Count: > 0 } failures)
        {
            throw new OptionsValidationException(DatabaseOptions.SectionName, typeof(DatabaseOptions), failures);
        }

        services.Configure<DatabaseOptions>(section);

        if (options.UsesEmbeddedServer)
        {
            // Registered first: hosted services start in order, so the cluster runs before migrations.
            services.AddSingleton(provider => new PostgresCluster(
                options.DataDirectory,
                options.EmbeddedPort,
                options.PostgresBinDirectory,
                provider.GetRequiredService<ILogger<PostgresCluster>>()));
            services.AddSingleton(provider => new DatabaseEndpoint(
                provider.GetRequiredService<PostgresCluster>().ConnectionString(EmbeddedPostgresService.DatabaseName)));
            services.AddSingleton<EmbeddedPostgresService>();
            services.AddHostedService(provider => provider.GetRequiredService<EmbeddedPostgresService>());
        }
        else
        {
            services.AddSingleton(new DatabaseEndpoint(options.ConnectionString!));
        }

        // One data source, and so one connection pool, for the primary; the read replicas, when set, have their own.
        services.AddSingleton(provider =>
            BuildDataSource(options.ForService(provider.GetRequiredService<DatabaseEndpoint>().ConnectionString), provider));
        services.AddSingleton(provider => new QueryConnections(
            provider.GetRequiredService<NpgsqlDataSource>(),
            options.UsesReadReplicas ? BuildDataSource(options.ForService(options.ReadConnectionString!), provider) : null,
            prepareStatements: !options.TransactionPooling));
        services.AddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<DatabaseEndpoint>(),
            provider.GetRequiredService<ILogger<DatabaseMigrator>>(),
            options.TransactionPooling));
        services.AddHostedService<DatabaseStartupService>();
        services.AddSingleton<IdempotencyKeyPurge>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyKeyPurge>());
        return services;
    }

    // With several hosts Npgsql builds a multi-host data source, which honours Target Session Attributes.
    private static NpgsqlDataSource BuildDataSource(string connectionString, IServiceProvider provider) =>
        new NpgsqlDataSourceBuilder(connectionString)
            .UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>())
            .Build();
}
