using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace OrleansSpotify.Benchmarks.Reporting;

/// <summary>What the numbers were measured on.</summary>
public static class MachineInfo
{
    public static bool IsOptimized =>
        typeof(MachineInfo).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    public static void Print(TextWriter output)
    {
        output.WriteLine($"Machine:  {Environment.ProcessorCount} cores{CpuModel()}, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        output.WriteLine($"Load:     {LoadAverage()}");
        output.WriteLine($"Runtime:  {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(IsOptimized ? "Release" : "DEBUG (not optimized: numbers are meaningless)")} build");
    }

    /// <summary>The 1/5/15-minute load averages: other work on the machine makes the numbers noisy.</summary>
    public static string LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        return File.Exists(LoadAvg) ? string.Join(" ", File.ReadAllText(LoadAvg).Split(' ').Take(3)) + " (1/5/15 min)" : "unknown";
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return "";
        }

        var model = File.ReadLines(CpuInfo)
            .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
            .Split(':', 2)[1]
            .Trim();
        return string.IsNullOrEmpty(model) ? "" : $" ({model})";
    }
}
