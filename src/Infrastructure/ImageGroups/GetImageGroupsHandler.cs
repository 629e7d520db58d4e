using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
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
public sealed partial class GetImageGroupsHandler(QueryConnections connections) : IQueryHandler<GetImageGroupsQuery, ImageGroupPage>
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
        await using var batch = await CreateBatchAsync(
            connection, query, cancellationToken, prepare: connections.PrepareStatements ? null : false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
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
    /// The page and count statements of one request, as one batch (one round trip), prepared where its shape allows;
    /// <paramref name="prepare"/> overrides that choice (the benchmark measures both).
    /// </summary>
    internal static async Task<NpgsqlBatch> CreateBatchAsync(
        NpgsqlConnection connection, IImageListQuery query, CancellationToken cancellationToken, bool? prepare = null)
    {
        var shape = GroupQueryShape.Of(query);
        var batch = new NpgsqlBatch(connection);
        foreach (var statement in shape.Statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var parameter in statement.Parameters)
            {
                command.Parameters.Add(ValueOf(parameter, query));
            }

            batch.BatchCommands.Add(command);
        }

        if (prepare ?? shape.Prepared)
        {
            // Prepared once per pooled connection; later calls find it there and cost no round trip.
            await batch.PrepareAsync(cancellationToken);
        }

        return batch;
    }

    private static NpgsqlParameter ValueOf(GroupParameter parameter, IImageListQuery query) => parameter switch
    {
        GroupParameter.ProjectId => new NpgsqlParameter<string> { TypedValue = query.ProjectId },
        GroupParameter.WorkspaceId => new NpgsqlParameter<string> { TypedValue = query.WorkspaceId },
        GroupParameter.IncludeDedicated => new NpgsqlParameter<bool> { TypedValue = query.Type is null or ImageType.Dedicated },
        GroupParameter.IncludeBuiltIn => new NpgsqlParameter<bool> { TypedValue = query.Type is null or ImageType.BuildIn },
        GroupParameter.Namespace => new NpgsqlParameter<string> { TypedValue = query.Namespace! },
        GroupParameter.Name => new NpgsqlParameter<string> { TypedValue = query.Name! },
        GroupParameter.NamePattern => new NpgsqlParameter<string> { TypedValue = LikePattern.Containing(query.Name!) },
        GroupParameter.Limit => new NpgsqlParameter<int> { TypedValue = query.Limit },
        GroupParameter.Offset => new NpgsqlParameter<int> { TypedValue = query.Offset },
        // The walk's window: each branch stops after offset + limit keys.
        GroupParameter.Window => new NpgsqlParameter<long> { TypedValue = (long)query.Offset + query.Limit },
        _ => throw new UnreachableException($"No value for {parameter}."),
    };

    /// <summary>The values the statements bind; the SQL above names them <c>@ProjectId</c> and so on.</summary>
    internal enum GroupParameter
    {
        ProjectId,
        WorkspaceId,
        IncludeDedicated,
        IncludeBuiltIn,
        Namespace,
        Name,
        NamePattern,
        Limit,
        Offset,
        Window,
    }

    /// <summary>
    /// One statement as it is sent: its SQL with positional placeholders ($1, $2, ...) and the values they stand for,
    /// in that order. The SQL is written with named placeholders to be read; Npgsql would parse and rewrite named ones
    /// into a new string on every execution (about a tenth of a small read's CPU in the service and a seventh of its
    /// allocations, docs/performance.md), positional ones it sends as they are. So the rewrite happens once, here.
    /// </summary>
    internal sealed partial record GroupStatement(string Sql, IReadOnlyList<GroupParameter> Parameters)
    {
        public static GroupStatement FromNamed(string sql)
        {
            var order = new List<GroupParameter>();
            var positional = NamedPlaceholder().Replace(sql, match =>
            {
                var parameter = Enum.Parse<GroupParameter>(match.Groups[1].Value);
                var index = order.IndexOf(parameter);
                if (index < 0)
                {
                    index = order.Count;
                    order.Add(parameter);
                }

                return "$" + (index + 1).ToString(CultureInfo.InvariantCulture);
            });
            return new(positional, order);
        }

        [GeneratedRegex("@([A-Za-z]+)", RegexOptions.CultureInvariant)]
        private static partial Regex NamedPlaceholder();
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
    internal sealed record GroupQueryShape(bool ByNamespace, NameMatch Name, IReadOnlyList<GroupStatement> Statements, bool Prepared)
    {
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
            GroupStatement[] statements =
            [
                GroupStatement.FromNamed(page.Replace(Conditions, conditions, StringComparison.Ordinal)),
                GroupStatement.FromNamed(count.Replace(Conditions, conditions, StringComparison.Ordinal)),
            ];
            return new(byNamespace, name, statements, Prepared: name != NameMatch.Contains);
        }
    }
}
