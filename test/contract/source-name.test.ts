import { describe, expect, it } from 'vitest';
import { InvalidSourceNameError, profileUri, rawObjectKey, sourceNameOfKey, sourceNameOfProfileUri } from '../../contract/source-name.js';

describe('source names', () => {
  it('take the first folder below raw/ when it is a profile name, and nothing else', () => {
    expect(sourceNameOfKey('raw/classic-cars/2024/sales.csv', 'raw/')).toBe('classic-cars');
    expect(sourceNameOfKey('raw/uk-online-retail/online_retail.csv.gz', 'raw/')).toBe('uk-online-retail');
    expect(sourceNameOfKey('raw/2024/sales.csv', 'raw/')).toBe('2024');
    expect(sourceNameOfKey('raw/sales.csv', 'raw/')).toBeUndefined();
    expect(sourceNameOfKey('raw/Ventes été/sales.csv', 'raw/')).toBeUndefined();
    expect(sourceNameOfKey('raw/shop_orders/sales.csv', 'raw/')).toBeUndefined();
    expect(sourceNameOfKey('cleaned/classic-cars/x.csv', 'raw/')).toBeUndefined();
  });

  it('place an upload under raw/<source>/, and refuse a source that cannot be a profile name', () => {
    expect(rawObjectKey({ fileName: 'sales.csv' })).toBe('raw/sales.csv');
    expect(rawObjectKey({ fileName: 'sales.csv.gz', source: 'shop-orders' })).toBe('raw/shop-orders/sales.csv.gz');
    expect(() => rawObjectKey({ fileName: 'sales.csv', source: 'Shop Orders' })).toThrow(InvalidSourceNameError);
  });

  it('find a profile in the stack folder, and the name back from its URI', () => {
    const uri = profileUri('s3://data/config/sources/', 'classic-cars');
    expect(uri).toBe('s3://data/config/sources/classic-cars.json');
    expect(profileUri('s3://data/config/sources', 'a')).toBe('s3://data/config/sources/a.json');
    expect(sourceNameOfProfileUri(uri)).toBe('classic-cars');
    expect(sourceNameOfProfileUri('/work/repo/sources/eu-spreadsheet.json')).toBe('eu-spreadsheet');
    expect(sourceNameOfProfileUri(undefined)).toBeUndefined();
    expect(sourceNameOfProfileUri('s3://data/config/sources/Bad_Name.json')).toBeUndefined();
  });
});
