import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ReportKind } from '../reports/report.models';

@ObjectType({ description: 'Reports of one quarter, category and affected sector.' })
export class StatisticsCell {
  @Field({ description: 'Quarter in Japan time, e.g. "2026-Q4".' }) quarter: string;
  @Field({ description: 'A category code, or "none".' }) category: string;
  @Field({ description: 'An affected sector code, or "none".' }) sector: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Null when suppressed: the cell would point at fewer than ANONYMITY_K authors.',
  })
  count: number | null;
  @Field() suppressed: boolean;
}

@ObjectType()
export class StatisticsTable {
  @Field(() => [StatisticsCell]) cells: StatisticsCell[];
  @Field({ description: 'The same cells as CSV (suppressed counts read "<k").' }) csv: string;
  @Field(() => Int, {
    description:
      'ANONYMITY_K: a suppressed cell stands for fewer than this many anonymous authors.',
  })
  suppressedBelow: number;
}

@ObjectType({ description: "A report's lessons learned, as every member reads them." })
export class LessonLearned {
  @Field(() => ID) reportId: string;
  @Field(() => ReportKind) kind: ReportKind;
  @Field() title: string;
  @Field(() => [String]) categories: string[];
  @Field(() => [String]) affectedSectors: string[];
  @Field({ description: 'e.g. "an operator in electric power".' }) author: string;
  @Field() lessonsLearned: string;
}

@ObjectType({ description: "The quarter's summary, ready to circulate to every member." })
export class QuarterlySummary {
  @Field() quarter: string;
  @Field(() => [StatisticsCell]) counts: StatisticsCell[];
  @Field(() => [LessonLearned]) lessons: LessonLearned[];
  @Field() markdown: string;
  @Field(() => Int, {
    description:
      'ANONYMITY_K: a suppressed cell stands for fewer than this many anonymous authors.',
  })
  suppressedBelow: number;
}
