namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>The connection string in force: the configured one, or the embedded cluster's.</summary>
public sealed record DatabaseEndpoint(string ConnectionString);
