import type { Strings } from './en';
import type { journeysEn } from './journeys.en';

/** Typed by the English catalogue: a missing or extra key fails the console's type check. */
export const journeysJa: Strings<typeof journeysEn> = {
  picker: {
    typeToSearch: '名前の一部を入力して検索',
    more: '{{total}} 件中 {{shown}} 件を表示中：名前の一部を入力して絞り込めます',
    none: '該当なし',
    searching: '検索中…',
  },
  recovery: {
    resetFactors: 'パスワードと二要素をリセット',
    resetFactorsOf: '{{name}} のパスワードと二要素をリセット',
    ticketFactors:
      'このチケットを使うと、アカウントの二要素認証とリカバリーコードもすべて削除されます。次回ログイン時に新しい要素を登録してもらいます。本人であることを確認してから渡してください。',
  },
};
