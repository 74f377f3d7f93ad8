# Policy text that is not JSON: reported where the JSON breaks.
resource "aws_iam_policy" "trailing_comma" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  ]
}
EOF
}

resource "aws_iam_policy" "single_quotes" {
  policy = "{'Version': '2012-10-17'}"
}
