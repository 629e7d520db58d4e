using Dapper;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Domain.Images;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.ImageGroups;

/// <summary>
/// Reads the image_groups read model, which every write keeps exact, so a page never aggregates images.
/// The visible groups are two branches (the project's dedicated groups in one workspace, and the built-in
/// ones); with equality filters each walks its covering page-order index and a merge of the two gives the page's
/// keys, with a contained name the matches come from the trigram indexes; only the page's rows are read in full.
/// The SQL has one shape per set of filters present (<see cref="Shapes"/>).
/// </summary>
public sealed class GetImageGroupsHandler(QueryConnections connections) : IQueryHandler<GetImageGroupsQuery, ImageGroupPage>
{
    private const string Conditions = "/* conditions */";

    // The page's keys come first (WITH page AS ...); only the page's rows are read in full. 'type' breaks the last
    // tie: within a branch (update_at, namespace, name) is unique, so the order is total and pages are disjoint.
    private const string PageRowsSql = """
        SELECT g.id AS Id, g.name AS Name, g.namespace AS Namespace, g.create_at AS CreateAt, g.update_at AS UpdateAt,
               g.version_count AS VersionCount, g.read_me AS ReadMe, g.tags::text AS Tags
        FROM page JOIN image_groups AS g ON g.id = page.id
        ORDER BY page.update_at DESC, page.namespace, page.name, page.type;
        """;

    // Equality filters: each branch walks its page-order index and stops after offset + limit keys.
    private const string WalkedPageSql = """
        WITH page AS (
            (SELECT id, update_at, namespace, name, 'DEDICATED' AS type
             FROM image_groups
             WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated /* conditions */
             ORDER BY update_at DESC, namespace, name
             LIMIT @Window)
            UNION ALL
            (SELECT id, update_at, namespace, name, 'BUILD_IN' AS type
             FROM image_groups
             WHERE project_id IS NULL AND @IncludeBuiltIn /* conditions */
             ORDER BY update_at DESC, namespace, name
             LIMIT @Window)
            ORDER BY update_at DESC, namespace, name, type
            LIMIT @Limit OFFSET @Offset
        )

        """ + PageRowsSql;

    // A contained name: all matches are read (through the trigram index when they are few) and sorted. A walk of the
    // page index would stop after offset + limit matches, but for a rare fragment it reads the whole project to find
    // them; this way a page costs about what its count costs, which grows with the matches, not with the project.
    // MATERIALIZED keeps PostgreSQL from pushing the LIMIT down into such a walk.
    private const string MatchedPageSql = """
        WITH matches AS MATERIALIZED (
            SELECT id, update_at, namespace, name, 'DEDICATED' AS type
            FROM image_groups
            WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated /* conditions */
            UNION ALL
            SELECT id, update_at, namespace, name, 'BUILD_IN' AS type
            FROM image_groups
            WHERE project_id IS NULL AND @IncludeBuiltIn /* conditions */
        ), page AS (
            SELECT id, update_at, namespace, name, type
            FROM matches
            ORDER BY update_at DESC, namespace, name, type
            LIMIT @Limit OFFSET @Offset
        )

        """ + PageRowsSql;

    // Without filters the total is two rows of the counts that triggers keep (migration 0003), not a count.
    private const string KeptCountSql = """
        SELECT coalesce((SELECT group_count FROM image_group_counts
                         WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated), 0)
             + coalesce((SELECT group_count FROM image_group_counts
                         WHERE project_id IS NULL AND workspace_id = '0' AND @IncludeBuiltIn), 0);
        """;

    // With filters, a count over the index that serves the filter.
    private const string FilteredCountSql = """
        SELECT (SELECT count(*) FROM image_groups
                WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated /* conditions */)
             + (SELECT count(*) FROM image_groups
                WHERE project_id IS NULL AND @IncludeBuiltIn /* conditions */);
        """;

    private const string NamespaceCondition = "AND namespace = @Namespace";
    private const string ExactNameCondition = "AND name = @Name";
    private const string ContainedNameCondition = "AND name LIKE @NamePattern";

    /// <summary>Every SQL text this handler sends: one per combination of namespace filter and name match.</summary>
    internal static IReadOnlyList<GroupQueryShape> Shapes { get; } =
    [
        .. from byNamespace in new[] { false, true }
           from name in Enum.GetValues<NameMatch>()
           select GroupQueryShape.Create(byNamespace, name),
    ];

    public async ValueTask<ImageGroupPage> Handle(GetImageGroupsQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(query.Consistency, cancellationToken);
        await using var command = await CreateCommandAsync(
            connection, query, cancellationToken, prepare: connections.PrepareStatements ? null : false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parse = reader.GetRowParser<ImageGroupRow>();
        var rows = new List<ImageGroupDto>(Math.Min(query.Limit, 64));
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(parse(reader).ToDto());
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        return ImageGroupPage.Create(query, total, rows);
    }

    /// <summary>
    /// The page and count statements of one request, as one command, prepared where its shape allows;
    /// <paramref name="prepare"/> overrides that choice (the benchmark measures both).
    /// </summary>
    internal static async Task<NpgsqlCommand> CreateCommandAsync(
        NpgsqlConnection connection, IImageListQuery query, CancellationToken cancellationToken, bool? prepare = null)
    {
        var shape = GroupQueryShape.Of(query);
        var command = new NpgsqlCommand(shape.Sql, connection);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string>("ProjectId", query.ProjectId));
        parameters.Add(new NpgsqlParameter<string>("WorkspaceId", query.WorkspaceId));
        parameters.Add(new NpgsqlParameter<bool>("IncludeDedicated", query.Type is null or ImageType.Dedicated));
        parameters.Add(new NpgsqlParameter<bool>("IncludeBuiltIn", query.Type is null or ImageType.BuildIn));
        if (shape.ByNamespace)
        {
            parameters.Add(new NpgsqlParameter<string>("Namespace", query.Namespace!));
        }

        if (shape.Name == NameMatch.Exact)
        {
            parameters.Add(new NpgsqlParameter<string>("Name", query.Name!));
        }
        else if (shape.Name == NameMatch.Contains)
        {
            parameters.Add(new NpgsqlParameter<string>("NamePattern", LikePattern.Containing(query.Name!)));
        }

        parameters.Add(new NpgsqlParameter<int>("Limit", query.Limit));
        parameters.Add(new NpgsqlParameter<int>("Offset", query.Offset));
        if (shape.Name != NameMatch.Contains)
        {
            // Only the walk has a window; a contained name sorts all its matches.
            parameters.Add(new NpgsqlParameter<long>("Window", (long)query.Offset + query.Limit));
        }
        if (prepare ?? shape.Prepared)
        {
            // Prepared once per pooled connection; later calls find it there and cost no round trip.
            await command.PrepareAsync(cancellationToken);
        }

        return command;
    }

    internal enum NameMatch
    {
        Any,
        Exact,
        Contains,
    }

    /// <summary>
    /// One SQL text. Prepared shapes skip parsing and planning and, after five runs, use PostgreSQL's generic
    /// plan, which is as good as a custom one when every filter is an equality served by an index. A contained
    /// name is never prepared: a generic plan cannot see how rare the pattern is and reads the project's page index
    /// filtering on LIKE, many times slower than the trigram index a custom plan chooses (docs/performance.md).
    /// </summary>
    internal sealed record GroupQueryShape(bool ByNamespace, NameMatch Name, IReadOnlyList<string> Statements, bool Prepared)
    {
        public string Sql { get; } = string.Join('\n', Statements);

        public static GroupQueryShape Of(IImageListQuery query)
        {
            var name = query.Name is null ? NameMatch.Any : query.NameFuzzyMatch ? NameMatch.Contains : NameMatch.Exact;
            return Shapes[((query.Namespace is null ? 0 : 1) * 3) + (int)name];
        }

        public static GroupQueryShape Create(bool byNamespace, NameMatch name)
        {
            var conditions = string.Join(' ', new[]
            {
                byNamespace ? NamespaceCondition : null,
                name switch
                {
                    NameMatch.Exact => ExactNameCondition,
                    NameMatch.Contains => ContainedNameCondition,
                    _ => null,
                },
            }.OfType<string>());
            var count = conditions.Length == 0 ? KeptCountSql : FilteredCountSql;
            var page = name == NameMatch.Contains ? MatchedPageSql : WalkedPageSql;
            string[] statements =
            [
                page.Replace(Conditions, conditions, StringComparison.Ordinal),
                count.Replace(Conditions, conditions, StringComparison.Ordinal),
            ];
            return new(byNamespace, name, statements, Prepared: name != NameMatch.Contains);
        }
    }
}
