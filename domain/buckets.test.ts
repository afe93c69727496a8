import { DEFAULT_BUCKET_RANGES, bucketForDpd, validateBucketRanges, type BucketRange } from './buckets';

describe('bucketForDpd', () => {
  it.each([
    [0, 'current'],
    [-3, 'current'],
    [1, '1-29'],
    [29, '1-29'],
    [30, '30-59'],
    [59, '30-59'],
    [60, '60-89'],
    [89, '60-89'],
    [90, '90-119'],
    [119, '90-119'],
    [120, '120+'],
    [2000, '120+'],
  ])('puts %p DPD in %p', (dpd, bucket) => {
    expect(bucketForDpd(dpd)).toBe(bucket);
  });

  it('uses configured ranges', () => {
    const ranges: BucketRange[] = [
      { name: 'current', minDpd: 0, maxDpd: 0 },
      { name: 'early', minDpd: 1, maxDpd: 44 },
      { name: 'late', minDpd: 45, maxDpd: null },
    ];
    expect(validateBucketRanges(ranges)).toEqual([]);
    expect(bucketForDpd(44, ranges)).toBe('early');
    expect(bucketForDpd(45, ranges)).toBe('late');
  });
});

describe('validateBucketRanges', () => {
  it('accepts the defaults', () => {
    expect(validateBucketRanges(DEFAULT_BUCKET_RANGES)).toEqual([]);
  });

  it('reports gaps, overlaps, duplicate names and a closed last bucket', () => {
    expect(
      validateBucketRanges([
        { name: 'current', minDpd: 0, maxDpd: 0 },
        { name: 'a', minDpd: 2, maxDpd: 10 },
        { name: 'a', minDpd: 11, maxDpd: 20 },
      ]),
    ).toEqual([
      "bucket 1 ('a'): starts at 2 DPD but should start at 1",
      "bucket 2 ('a'): the name is used twice",
      "bucket 2 ('a'): the last bucket must be open-ended (maxDpd: null)",
    ]);
  });
});
