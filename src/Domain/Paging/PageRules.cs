namespace ImageCatalog.Domain.Paging;

/// <summary>Row-offset paging (CONTRACT.md section 1, decision "paging").</summary>
public static class PageRules
{
    public const int DefaultLimit = 200;
    public const int MinLimit = 1;
    public const int MaxLimit = 1000;

    public const string LimitRule = "must be an integer between 1 and 1000";
    public const string OffsetRule = "must be an integer between 0 and 2147483647";

    /// <summary>The 1-based page that a row offset falls on; it saturates, since clients read it as a 32-bit int.</summary>
    public static int CurrentPage(int offset, int limit) => (int)Math.Min(int.MaxValue, ((long)offset / limit) + 1);

    public static int PageCount(long total, int limit) => (int)Math.Min(int.MaxValue, (total + limit - 1) / limit);
}
