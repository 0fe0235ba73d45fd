// ECharts options for the chart visuals, from what visuals.js computed.

const PALETTE = [
  '#2f6fde',
  '#e8833a',
  '#2aa876',
  '#d64550',
  '#8b5cc7',
  '#c9a227',
  '#2bb0c4',
  '#7a8794',
  '#e06bb3',
];

/** A number as the page prints it: thousands separators, at most two decimals. */
export function formatNumber(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Axis labels inside the grid's box (ECharts 6's replacement of containLabel). */
const CONTAIN_LABELS = { outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' };

function compact(n) {
  return Number(n).toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 });
}

function base(result) {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    tooltip: { trigger: 'item', confine: true },
    legend: {
      show: result.series.length > 1,
      type: 'scroll',
      top: 0,
      left: 'center',
      textStyle: { fontSize: 11 },
    },
  };
}

/** Values per category as percentages of the category's total (STACKED_PERCENT). */
function percentages(series) {
  const n = series[0]?.data.length ?? 0;
  const totals = Array.from({ length: n }, (_, i) => series.reduce((t, s) => t + (s.data[i] ?? 0), 0));
  return series.map((s) => ({
    ...s,
    data: s.data.map((v, i) => (v === null || totals[i] === 0 ? null : (100 * v) / totals[i])),
  }));
}

/** A line chart: categories along x, one line per measure or per color value. */
export function lineOption(result) {
  return {
    ...base(result),
    tooltip: { trigger: 'axis', confine: true },
    grid: { left: 12, right: 28, top: result.series.length > 1 ? 32 : 16, bottom: 8, ...CONTAIN_LABELS },
    xAxis: { type: 'category', data: result.labels, boundaryGap: false, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: compact } },
    series: result.series.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.data,
      connectNulls: true,
      showSymbol: true,
      symbolSize: 7,
      triggerLineEvent: true,
      emphasis: { focus: 'series' },
    })),
  };
}

/** A bar chart: Orientation (HORIZONTAL by default, as in QuickSight) and BarsArrangement. */
export function barOption(result, config) {
  const horizontal = config?.Orientation !== 'VERTICAL';
  const arrangement = config?.BarsArrangement ?? 'CLUSTERED';
  const series = arrangement === 'STACKED_PERCENT' ? percentages(result.series) : result.series;
  const categoryAxis = {
    type: 'category',
    data: result.labels,
    inverse: horizontal,
    axisLabel: { hideOverlap: true, width: 140, overflow: 'truncate' },
  };
  const valueAxis = {
    type: 'value',
    max: arrangement === 'STACKED_PERCENT' ? 100 : undefined,
    axisLabel: { formatter: arrangement === 'STACKED_PERCENT' ? '{value}%' : compact },
  };
  return {
    ...base(result),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    grid: { left: 12, right: 28, top: result.series.length > 1 ? 32 : 16, bottom: 8, ...CONTAIN_LABELS },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      stack: arrangement === 'CLUSTERED' ? undefined : 'total',
      barMaxWidth: 36,
      emphasis: { focus: 'series' },
    })),
  };
}

/** A pie (donut) chart of the first measure per category. */
export function pieOption(result) {
  const values = result.series[0]?.data ?? [];
  return {
    ...base({ series: [] }),
    legend: { type: 'scroll', bottom: 0, left: 'center', textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'pie',
        name: result.series[0]?.name ?? '',
        radius: ['32%', '58%'],
        center: ['50%', '46%'],
        data: result.labels.map((name, i) => ({ name, value: values[i] ?? 0 })),
        label: { show: result.labels.length <= 4, formatter: '{b}: {d}%' },
        avoidLabelOverlap: true,
      },
    ],
  };
}
