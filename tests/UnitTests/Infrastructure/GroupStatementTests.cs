using ImageCatalog.Infrastructure.ImageGroups;
using static ImageCatalog.Infrastructure.ImageGroups.GetImageGroupsHandler;

namespace ImageCatalog.UnitTests.Infrastructure;

public sealed class GroupStatementTests
{
    [Test]
    public void Named_placeholders_become_positional_ones_numbered_by_first_use()
    {
        var statement = GroupStatement.FromNamed(
            "SELECT 1 WHERE project_id = @ProjectId AND @IncludeDedicated LIMIT @Window UNION ALL SELECT 2 WHERE @IncludeDedicated LIMIT @Window");

        Assert.Multiple(() =>
        {
            Assert.That(statement.Sql, Is.EqualTo("SELECT 1 WHERE project_id = $1 AND $2 LIMIT $3 UNION ALL SELECT 2 WHERE $2 LIMIT $3"));
            Assert.That(statement.Parameters, Is.EqualTo(new[] { GroupParameter.ProjectId, GroupParameter.IncludeDedicated, GroupParameter.Window }));
        });
    }

    [Test]
    public void A_name_without_a_value_is_refused_when_the_shapes_are_built() =>
        Assert.That(() => GroupStatement.FromNamed("SELECT @Nothing"), Throws.ArgumentException);

    [Test]
    public void Every_shape_is_sent_with_positional_placeholders_only_and_one_value_for_each()
    {
        Assert.Multiple(() =>
        {
            foreach (var statement in GetImageGroupsHandler.Shapes.SelectMany(shape => shape.Statements))
            {
                Assert.That(statement.Sql, Does.Not.Contain("@"), statement.Sql);
                var highest = System.Text.RegularExpressions.Regex.Matches(statement.Sql, @"\$(\d+)")
                    .Max(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                Assert.That(statement.Parameters, Has.Count.EqualTo(highest), statement.Sql);
                Assert.That(statement.Parameters, Is.Unique, statement.Sql);
            }
        });
    }
}
