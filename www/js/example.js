// A small campaign to try the page with: a header with a user_id column, a
// name outside GSM-7 (the preview switches to UCS-2), one mistyped phone, one
// line short of a parameter, a repeated line, and the mock's two blacklisted
// numbers, so every part of the page has something to show.

export const EXAMPLE_TEMPLATE = {
  id: "UTA2501DEMOSHIP",
  text: "Hi {1}, your order {2} has shipped and should arrive on {3}.",
};

export const EXAMPLE_RECIPIENTS = `phone,name,order,arrives,user_id
+86 138 0000 0001,Li Wei,A-1001,12 May,cust-0001
+86 138 0000 0002,Zhang Min,A-1002,12 May,cust-0002
(852)55311111,Chan Tai Man,A-1003,13 May,cust-0003
+1 415 555 0100,Jordan Smith,A-1004,14 May,cust-0004
+48 512 345 678,Łukasz Nowak,A-1005,15 May,cust-0005
+86 138 0000 0013,Wang Fang,A-1006,12 May,cust-0006
+1 415 555 0123,Sam Taylor,A-1007,14 May,cust-0007
+86 138 0000 00O8,Liu Yang,A-1008,12 May,cust-0008
+44 7700 900123,Alex Brown,A-1009,16 May,cust-0009
+86 138 0000 0010,Chen Jie,A-1010
+86 138 0000 0001,Li Wei,A-1001,12 May,cust-0001
"+65 9123 4567","Tan, Mei Ling",A-1012,13 May,cust-0012
`;
