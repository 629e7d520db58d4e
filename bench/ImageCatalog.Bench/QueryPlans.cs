using System.Text;
using Dapper;
using ImageCatalog.Infrastructure.ImageGroups;
using ImageCatalog.Infrastructure.Persistence;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>EXPLAIN (ANALYZE, BUFFERS) of the product's page and count statements for a scenario's first request.</summary>
public static class QueryPlans
{
    public static async Task<string> ExplainAsync(string connectionString, Scenario scenario)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(scenario.Query(0));
        var fuzzy = !string.Equals(query.GetValueOrDefault("name_fuzzy_match"), "false", StringComparison.OrdinalIgnoreCase);
        string? name = query.TryGetValue("name", out var n) ? n.ToString() : null;
        var parameters = new
        {
            ProjectId = scenario.Project,
            WorkspaceId = "0",
            IncludeDedicated = true,
            IncludeBuiltIn = true,
            Namespace = query.TryGetValue("namespace", out var ns) ? ns.ToString() : null,
            ExactName = fuzzy ? null : name,
            NamePattern = fuzzy && name is not null ? LikePattern.Containing(name) : null,
            Limit = query.TryGetValue("limit", out var limit) ? int.Parse(limit!, System.Globalization.CultureInfo.InvariantCulture) : 200,
            Offset = query.TryGetValue("offset", out var offset) ? int.Parse(offset!, System.Globalization.CultureInfo.InvariantCulture) : 0,
        };
        var statements = GetImageGroupsHandler.PageSql.Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var connection = new NpgsqlConnection(connectionString);
        var text = new StringBuilder();
        foreach (var statement in statements)
        {
            var plan = await connection.QueryAsync<string>($"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters);
            text.AppendLine(string.Join('\n', plan));
            text.AppendLine();
        }

        return text.ToString();
    }
}
