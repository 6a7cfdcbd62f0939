import type { statisticsEn } from './statistics.en';

/** 統計と四半期サマリー画面の日本語。 */
export const statisticsJa: typeof statisticsEn = {
  nav: '統計',
  tabs: { label: '統計', charts: 'グラフと表', summary: '四半期サマリー' },
  title: '四半期・カテゴリ・影響を受けた分野別の報告件数',
  intro:
    'あなたが閲覧できる報告を集計しています（訓練は含みません）。匿名の報告者が {{k}} 組織未満に絞り込まれるセルは秘匿し、「< {{k}}」と表示します。',
  from: '開始四半期',
  to: '終了四半期',
  anyQuarter: '指定なし',
  sector: '影響を受けた分野',
  chartTitle: '四半期・カテゴリ別の報告件数：{{sector}}',
  chartLabel:
    '{{sector}} の四半期・カテゴリ別報告件数の積み上げ棒グラフ。同じ件数を下の表に示します。',
  suppressedInChart: 'この分野で秘匿したセル（< {{k}}、グラフには描画しません）：{{cells}}',
  table: '同じ件数の表（CSV と同じ内容）',
  quarter: '四半期',
  category: 'カテゴリ',
  reports: '件数',
  suppressed: '< {{k}}',
  suppressedHint: '秘匿：匿名の報告者が {{k}} 組織未満',
  none: 'なし',
  empty: 'この期間の報告はありません。',
  downloadCsv: 'CSV をダウンロード',
  summary: {
    title: '四半期サマリー',
    intro:
      '全メンバーへの配布用です。CLEAR と GREEN の報告のみを対象とし、報告者はメンバーから見える表記で示し、TLP:GREEN として扱います。',
    quarter: '四半期',
    counts: 'カテゴリ・影響を受けた分野別の報告件数',
    lessons: '教訓',
    noLessons: 'この四半期の教訓はありません。',
    noCounts: 'この四半期の報告はありません。',
    downloadMarkdown: 'Markdown をダウンロード',
    copyMarkdown: 'Markdown をコピー',
    copied: 'コピーしました',
    coordinatorOnly: '四半期サマリーはコーディネーターが作成します。',
    kind: { INCIDENT: 'インシデント', NEAR_MISS: 'ヒヤリハット', ADVISORY: '注意喚起' },
  },
};
