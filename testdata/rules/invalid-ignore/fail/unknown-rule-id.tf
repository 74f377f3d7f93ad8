resource "aws_s3_bucket_policy" "site" {
  bucket = "ml-demo-site"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*" # mlpolicy: ignore[public-principle] static demo site, public by design
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::ml-demo-site/*"
    }]
  })
}
