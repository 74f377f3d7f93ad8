resource "aws_s3_bucket_policy" "site" {
  bucket = "ml-demo-site"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      # mlpolicy: ignore public-principal static demo site
      Principal = "*"
      // mlpolicy: ignore[public-principal static demo site
      Action    = "s3:GetObject"
      # mlpolicy: ignore[] static demo site
      Resource  = "arn:aws:s3:::ml-demo-site/*"
    }]
  })
}
