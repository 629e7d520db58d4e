namespace ImageCatalog.Application.Common;

/// <summary>
/// Where a query may read. Where read replicas are configured, an <see cref="Eventual"/> read is served by a standby,
/// which trails the primary by its replication delay; a <see cref="Strong"/> read goes to the primary, so a caller
/// sees its own writes. Without replicas both read the primary.
/// </summary>
public enum ReadConsistency
{
    Eventual,
    Strong,
}
