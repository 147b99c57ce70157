import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Index of the PROGRESS_REPORT_PUBLISHED entries (the report itself is the entry's
 * payload): which project and period each covers, for lists and disclosure
 * schedules. Written by the ProgressReportProjector in the append transaction;
 * insert-only (a reversal is read from book_reversal).
 */
@Entity({ name: 'progress_report' })
@Index('ix_progress_report_project', ['charityId', 'projectId', 'sequence'])
export class ProgressReportEntity {
  @PrimaryColumn({ name: 'charity_id', type: 'uuid', primaryKeyConstraintName: 'pk_progress_report' })
  charityId!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_progress_report' })
  sequence!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  /** 2026-03 or 2026-Q1. */
  @Column({ type: 'text' })
  period!: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  /** Last day of the period (inclusive). */
  @Column({ name: 'period_end', type: 'date' })
  periodEnd!: string;

  /** When the ledger recorded it: the publication. */
  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
