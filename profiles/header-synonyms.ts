/**
 * Header names real exports use for each contract column, normalised (see normaliseHeader), most
 * specific first: the column takes the header that matches the earliest name. Gathered from public
 * sample exports: the sample-sales file (ORDERNUMBER, QUANTITYORDERED, PRICEEACH, ...), the UK online
 * retail file (InvoiceNo, StockCode, UnitPrice, ...), shop-system order exports (Name, Created at,
 * Lineitem sku, Lineitem quantity, Billing Name, ...), ERP and spreadsheet exports in English and
 * German, and the field names mock-data tools offer.
 */
export const headerSynonyms: Record<string, readonly string[]> = {
  order_id: [
    'orderid', 'ordernumber', 'orderno', 'ordernr', 'ordernum', 'orderreference', 'orderref', 'invoiceno', 'invoicenumber', 'invoiceid', 'invoice',
    'salesorder', 'salesorderid', 'salesordernumber', 'salesorderno', 'transactionid', 'transactionno', 'receiptno', 'receiptnumber',
    'documentno', 'documentnumber', 'bestellnummer', 'bestellnr', 'auftragsnummer', 'auftragsnr', 'belegnummer', 'belegnr', 'rechnungsnummer', 'order',
  ],
  line_id: [
    'lineid', 'orderlinenumber', 'orderlineid', 'orderline', 'linenumber', 'lineno', 'linenr', 'lineitemid', 'itemline', 'rowid',
    'position', 'positionnumber', 'posnr', 'pos',
  ],
  order_date: [
    'orderdate', 'orderdatetime', 'orderedat', 'invoicedate', 'invoicedatetime', 'createdat', 'createddate', 'purchasedate', 'purchasedat',
    'transactiondate', 'salesdate', 'saledate', 'documentdate', 'bestelldatum', 'auftragsdatum', 'belegdatum', 'rechnungsdatum', 'datum', 'date',
    'orderplaced', 'placedat', 'created',
  ],
  customer_id: [
    'customerid', 'customerno', 'customernumber', 'customernr', 'customercode', 'custid', 'custno', 'clientid', 'clientno', 'buyerid',
    'accountid', 'accountnumber', 'kundennummer', 'kundennr', 'kundenid', 'debitornummer', 'debitor',
  ],
  customer_name: [
    'customername', 'customer', 'clientname', 'client', 'buyername', 'buyer', 'billingname', 'billtoname', 'shippingname', 'shiptoname',
    'fullname', 'kundenname', 'kunde', 'companyname',
  ],
  customer_email: ['customeremail', 'email', 'emailaddress', 'buyeremail', 'clientemail', 'billingemail', 'mail', 'emailadresse'],
  product_id: [
    'productid', 'productcode', 'productno', 'productnumber', 'sku', 'productsku', 'lineitemsku', 'stockcode', 'itemcode', 'itemid', 'itemno',
    'itemnumber', 'articleno', 'articlenumber', 'articleid', 'artikelnummer', 'artikelnr', 'artnr', 'materialnumber', 'partnumber', 'partno', 'asin',
  ],
  product_name: [
    'productname', 'producttitle', 'productdescription', 'lineitemname', 'itemname', 'itemdescription', 'itemtitle', 'description', 'title',
    'artikelbezeichnung', 'artikelname', 'bezeichnung', 'artikel', 'product', 'item',
  ],
  category: ['category', 'productcategory', 'categoryname', 'productline', 'producttype', 'productgroup', 'department', 'warengruppe', 'kategorie'],
  quantity: [
    'quantity', 'quantityordered', 'qty', 'qtyordered', 'orderedquantity', 'lineitemquantity', 'units', 'unitssold', 'pieces', 'menge', 'anzahl', 'stuck',
    'stuckzahl',
  ],
  unit_price: [
    'unitprice', 'priceeach', 'priceperunit', 'itemprice', 'lineitemprice', 'salesprice', 'saleprice', 'sellingprice', 'unitsaleprice', 'einzelpreis',
    'stuckpreis', 'preis', 'price',
  ],
  discount: ['discount', 'discountrate', 'discountpercent', 'discountpct', 'rabatt', 'rabattprozent'],
  country: ['country', 'countrycode', 'countryname', 'shippingcountry', 'billingcountry', 'shiptocountry', 'land', 'lieferland'],
  city: ['city', 'shippingcity', 'billingcity', 'shiptocity', 'town', 'ort', 'stadt'],
  payment_method: ['paymentmethod', 'paymenttype', 'paymentgateway', 'payment', 'paidwith', 'zahlungsart', 'zahlungsmethode'],
  sales_channel: ['saleschannel', 'channel', 'orderchannel', 'vertriebskanal', 'kanal'],
};

/**
 * Headers that name a column only in the company of others: a shop-system order export calls the
 * order number "Name" and marks itself by its "Lineitem ..." columns.
 */
export const contextualSynonyms: { column: string; header: string; whenFileHas: string }[] = [
  { column: 'order_id', header: 'name', whenFileHas: 'lineitemquantity' },
];

/** Headers that identify a customer when the file has no customer id column, best first. */
export const customerIdFallbacks: { header: readonly string[]; what: string; column?: string }[] = [
  { header: headerSynonyms.customer_email!, what: 'e-mail address', column: 'customer_email' },
  { header: headerSynonyms.customer_name!, what: 'name', column: 'customer_name' },
  { header: ['phone', 'phonenumber', 'telephone', 'tel', 'customerphone', 'billingphone', 'mobile', 'telefon'], what: 'phone number' },
];
